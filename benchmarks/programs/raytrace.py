"""raytrace -- a small recursive ray tracer (in the spirit of pyperformance's bm_raytrace).

Vector objects with operator overloading, spheres and a checkered plane, Lambert and
specular shading, shadows and reflections; many small objects and method calls.
Argument: image width and height in pixels (default 24). Prints an image checksum
and the image as coarse ASCII art.
"""
import math
import sys

EPSILON = 0.00001


class Vector:
    __slots__ = ("x", "y", "z")

    def __init__(self, x, y, z):
        self.x = x
        self.y = y
        self.z = z

    def dot(self, other):
        return self.x * other.x + self.y * other.y + self.z * other.z

    def magnitude(self):
        return math.sqrt(self.dot(self))

    def __add__(self, other):
        return Vector(self.x + other.x, self.y + other.y, self.z + other.z)

    def __sub__(self, other):
        return Vector(self.x - other.x, self.y - other.y, self.z - other.z)

    def scale(self, k):
        return Vector(self.x * k, self.y * k, self.z * k)

    def cross(self, other):
        return Vector(self.y * other.z - self.z * other.y,
                      self.z * other.x - self.x * other.z,
                      self.x * other.y - self.y * other.x)

    def normalized(self):
        return self.scale(1.0 / self.magnitude())

    def reflect_through(self, normal):
        return self - normal.scale(2 * self.dot(normal))


ZERO = Vector(0.0, 0.0, 0.0)
UP = Vector(0.0, 1.0, 0.0)


class Ray:
    __slots__ = ("point", "vector")

    def __init__(self, point, vector):
        self.point = point
        self.vector = vector.normalized()

    def point_at(self, t):
        return self.point + self.vector.scale(t)


class Sphere:
    def __init__(self, centre, radius):
        self.centre = centre
        self.radius = radius

    def intersection_time(self, ray):
        cp = self.centre - ray.point
        v = cp.dot(ray.vector)
        discriminant = self.radius * self.radius - (cp.dot(cp) - v * v)
        if discriminant < 0:
            return None
        return v - math.sqrt(discriminant)

    def normal_at(self, p):
        return (p - self.centre).normalized()


class Plane:
    def __init__(self, point, normal):
        self.point = point
        self.normal = normal.normalized()

    def intersection_time(self, ray):
        v = ray.vector.dot(self.normal)
        if v == 0:
            return None
        return -(ray.point - self.point).dot(self.normal) / v

    def normal_at(self, p):
        return self.normal


class Surface:
    def __init__(self, base, specular, lambert, ambient, checker=None):
        self.base = base
        self.specular = specular
        self.lambert = lambert
        self.ambient = ambient
        self.checker = checker

    def colour_at(self, scene, ray, p, normal, depth):
        base = self.base
        if self.checker is not None:
            if (math.floor(p.x) + math.floor(p.z)) % 2 == 0:
                base = self.checker
        colour = ZERO
        if self.specular > 0 and depth < 3:
            reflected = Ray(p, ray.vector.reflect_through(normal))
            colour = colour + scene.ray_colour(reflected, depth + 1).scale(self.specular)
        if self.lambert > 0:
            amount = 0.0
            for light in scene.lights:
                if scene.visible(p, light):
                    contribution = (light - p).normalized().dot(normal)
                    if contribution > 0:
                        amount += contribution
            amount = min(1.0, amount)
            colour = colour + base.scale(self.lambert * amount)
        return colour + base.scale(self.ambient)


class Scene:
    def __init__(self):
        self.objects = []
        self.lights = []

    def add(self, obj, surface):
        self.objects.append((obj, surface))

    def first_hit(self, ray):
        best = None
        for obj, surface in self.objects:
            t = obj.intersection_time(ray)
            if t is not None and t > EPSILON and (best is None or t < best[0]):
                best = (t, obj, surface)
        return best

    def visible(self, p, light):
        ray = Ray(p, light - p)
        hit = self.first_hit(ray)
        return hit is None or hit[0] > (light - p).magnitude()

    def ray_colour(self, ray, depth=0):
        hit = self.first_hit(ray)
        if hit is None:
            return ZERO
        t, obj, surface = hit
        p = ray.point_at(t)
        return surface.colour_at(self, ray, p, obj.normal_at(p), depth)

    def render(self, width, height, eye, look_at, fov=45.0):
        forward = (look_at - eye).normalized()
        right = forward.cross(UP).normalized()
        up = right.cross(forward).normalized()
        half = math.tan(math.radians(fov) / 2)
        pixels = []
        for y in range(height):
            row = []
            for x in range(width):
                u = (2 * (x + 0.5) / width - 1) * half
                v = (1 - 2 * (y + 0.5) / height) * half
                direction = forward + right.scale(u) + up.scale(v)
                c = self.ray_colour(Ray(eye, direction))
                row.append((min(255, int(c.x * 255)), min(255, int(c.y * 255)), min(255, int(c.z * 255))))
            pixels.append(row)
        return pixels


def build_scene():
    scene = Scene()
    scene.add(Sphere(Vector(1, 3, -10), 2), Surface(Vector(1, 1, 0), 0.2, 0.6, 0.1))
    for i in range(6):
        scene.add(Sphere(Vector(-3 - i * 0.4, 2.3, -5), 0.4),
                  Surface(Vector(i / 6, 0.5, 1 - i / 6), 0.2, 0.7, 0.1))
    scene.add(Plane(Vector(0, 0, 0), Vector(0, 1, 0)),
              Surface(Vector(1, 1, 1), 0.2, 0.7, 0.1, checker=Vector(0, 0, 0)))
    scene.lights = [Vector(-10, 10, 10), Vector(10, 20, 5)]
    return scene


def main(size):
    scene = build_scene()
    pixels = scene.render(size, size, Vector(0, 1.8, 10), Vector(0, 3, 0))
    checksum = 0
    for row in pixels:
        for r, g, b in row:
            checksum = (checksum * 7 + r * 65536 + g * 256 + b) % 1000000007
    print("checksum", checksum)
    shades = " .:-=+*#%@"
    for row in pixels[::2]:
        print("".join(shades[min(9, (r + g + b) * 10 // 766)] for r, g, b in row))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 24)
